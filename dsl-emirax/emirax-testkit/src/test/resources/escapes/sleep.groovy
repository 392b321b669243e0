// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            sleep(100000)
            state.done = true
        }
    }
}
