// expect: no method 'evaluate'
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def e = 'eval' + 'uate'
            "$e"("'touch @MARKER@'.execute()")
            state.done = true
        }
    }
}
