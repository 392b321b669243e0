// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def l = input.class.classLoader
            state.done = true
        }
    }
}
