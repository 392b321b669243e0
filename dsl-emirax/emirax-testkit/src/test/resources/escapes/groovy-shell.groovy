// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            new GroovyShell().evaluate("'touch @MARKER@'.execute()")
            state.done = true
        }
    }
}
