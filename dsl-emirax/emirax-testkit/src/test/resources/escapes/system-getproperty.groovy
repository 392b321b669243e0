// expect: System.getProperty is not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            state.x = System.getProperty('user.home')
            state.done = true
        }
    }
}
