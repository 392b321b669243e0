// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            println 'hello'
            state.done = true
        }
    }
}
