// expect: refused at compile time
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def f = (x) -> x
            state.done = true
        }
    }
}
