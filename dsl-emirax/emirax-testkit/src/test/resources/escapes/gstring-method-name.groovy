// expect: may not call 'execute'
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            'touch @MARKER@'."${'exe' + 'cute'}"()
            state.done = true
        }
    }
}
