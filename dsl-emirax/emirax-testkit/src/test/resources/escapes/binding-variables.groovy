// expect: no property 'binding' is available to rules here
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            state.x = binding.variables
            state.done = true
        }
    }
}
