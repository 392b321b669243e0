// expect: may not call 'with'
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            'touch @MARKER@'.with { it }
            state.done = true
        }
    }
}
