// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            'touch @MARKER@'.invokeMethod('execute', null)
            state.done = true
        }
    }
}
