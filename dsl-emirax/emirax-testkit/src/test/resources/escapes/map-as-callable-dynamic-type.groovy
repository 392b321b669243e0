// expect: java.util.concurrent.Callable is not available to rules
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def t = java.util.concurrent.Callable
            state.x = t
            state.done = true
        }
    }
}
