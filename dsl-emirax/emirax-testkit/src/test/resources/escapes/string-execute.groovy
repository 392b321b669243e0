// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            'touch @MARKER@'.execute()
            state.done = true
        }
    }
}
