// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            use(org.codehaus.groovy.runtime.ProcessGroovyMethods) { 'touch @MARKER@'.execute() }
            state.done = true
        }
    }
}
