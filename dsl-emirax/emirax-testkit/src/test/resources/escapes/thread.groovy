// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            new Thread({ 'touch @MARKER@'.execute() }).start()
            state.done = true
        }
    }
}
