// expect: not inside rules
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            this.workflow('inner') { rule('r') { match { true }; action { state.y = 1 } } }
            state.done = true
        }
    }
}
