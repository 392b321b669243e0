// expect: System.exit is not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            System.exit(3)
            state.done = true
        }
    }
}
