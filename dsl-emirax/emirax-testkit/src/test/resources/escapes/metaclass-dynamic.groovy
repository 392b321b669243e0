// expect: may not call 'getMetaClass'
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def mc = 'get' + 'MetaClass'
            def m = 'x'."$mc"()
            state.done = true
        }
    }
}
