// expect: no method 'run'
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            run('@MARKER@.groovy', [] as String[])
            state.done = true
        }
    }
}
