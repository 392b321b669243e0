// expect: synchronized is not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            synchronized (input) { state.x = 1 }
            state.done = true
        }
    }
}
