// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            Eval.me("'touch @MARKER@'.execute()")
            state.done = true
        }
    }
}
