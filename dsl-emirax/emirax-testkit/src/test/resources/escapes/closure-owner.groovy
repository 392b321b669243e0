// expect: may not read the property 'owner'
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def c = { -> 1 }
            state.x = c.owner
            state.done = true
        }
    }
}
