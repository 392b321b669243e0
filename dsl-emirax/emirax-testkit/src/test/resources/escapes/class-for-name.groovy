// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            Class.forName('java.lang.Runtime')
            state.done = true
        }
    }
}
