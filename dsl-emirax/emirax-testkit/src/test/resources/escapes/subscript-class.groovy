// expect: may not call 'getAt' of the script
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def loader = this['class']['classLoader']
            state.x = loader
            state.done = true
        }
    }
}
