// expect: no method 'getBinding'
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            getBinding().setVariable('x', 1)
            state.done = true
        }
    }
}
