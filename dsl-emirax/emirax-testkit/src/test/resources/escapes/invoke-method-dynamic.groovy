// expect: may not call 'invokeMethod'
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def i = 'invoke' + 'Method'
            'touch @MARKER@'."$i"('execute', null)
            state.done = true
        }
    }
}
