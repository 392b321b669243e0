// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            state.x = Thread.currentThread().contextClassLoader
            state.done = true
        }
    }
}
