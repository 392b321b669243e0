// expect: field access with .@
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            state.x = this.@binding
            state.done = true
        }
    }
}
