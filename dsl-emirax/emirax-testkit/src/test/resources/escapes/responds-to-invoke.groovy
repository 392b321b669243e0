// expect: respondsTo
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            'touch @MARKER@'.respondsTo('execute')[0].invoke('touch @MARKER@', [] as Object[])
            state.done = true
        }
    }
}
