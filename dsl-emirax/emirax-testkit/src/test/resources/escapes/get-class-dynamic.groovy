// expect: may not call 'getClass'
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def g = 'get' + 'Class'
            def c = input."$g"()
            state.done = true
        }
    }
}
