// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            Runtime.getRuntime().exec('touch @MARKER@')
            state.done = true
        }
    }
}
