// expect: may not call 'tap'
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            'touch @MARKER@'.tap { it }
            state.done = true
        }
    }
}
