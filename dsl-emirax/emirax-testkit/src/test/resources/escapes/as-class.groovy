// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def c = 'java.lang.Runtime' as Class
            state.done = true
        }
    }
}
