// expect: System.setProperty is not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def p = System.&setProperty
            p('@PROP@', 'x')
            state.done = true
        }
    }
}
