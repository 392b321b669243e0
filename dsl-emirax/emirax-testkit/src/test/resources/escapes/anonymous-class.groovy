// expect: anonymous classes
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def r = new Object() { String toString() { 'x' } }
            state.done = true
        }
    }
}
