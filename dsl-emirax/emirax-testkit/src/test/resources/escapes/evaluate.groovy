// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            evaluate("'touch @MARKER@'.execute()")
            state.done = true
        }
    }
}
