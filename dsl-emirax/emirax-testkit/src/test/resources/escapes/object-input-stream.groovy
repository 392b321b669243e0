// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            new java.io.ObjectInputStream(null)
            state.done = true
        }
    }
}
