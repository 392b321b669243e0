// expect: java.util.concurrent.Callable is not available to rules
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def c = [call: { state.x = 1 }] as java.util.concurrent.Callable
            c.call()
            state.done = true
        }
    }
}
