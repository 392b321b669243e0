// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            org.codehaus.groovy.runtime.InvokerHelper.invokeMethod('touch @MARKER@', 'execute', null)
            state.done = true
        }
    }
}
