// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            state.x = this.class.protectionDomain
            state.done = true
        }
    }
}
