// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            org.codehaus.groovy.runtime.ProcessGroovyMethods.execute('touch @MARKER@')
            state.done = true
        }
    }
}
