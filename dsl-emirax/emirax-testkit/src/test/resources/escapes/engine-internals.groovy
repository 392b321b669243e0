// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def t = new io.orrery.engine.internal.TenantCodeGuard()
            state.done = true
        }
    }
}
