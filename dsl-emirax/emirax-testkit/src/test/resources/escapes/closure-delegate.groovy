// expect: may not set the property 'delegate' of a closure
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def c = { size() }
            c.delegate = 'touch @MARKER@'
            state.x = c()
            state.done = true
        }
    }
}
