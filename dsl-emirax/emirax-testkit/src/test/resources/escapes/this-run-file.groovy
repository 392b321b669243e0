// expect: may not call 'run'
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            this.run('@MARKER@.groovy', [] as String[])
            state.done = true
        }
    }
}
