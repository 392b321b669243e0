// expect: metaClass
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            String.metaClass.toString = { -> 'touch @MARKER@'.execute() }
            state.done = true
        }
    }
}
