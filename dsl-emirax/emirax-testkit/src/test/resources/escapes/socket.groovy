// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            new Socket('127.0.0.1', 1)
            state.done = true
        }
    }
}
