// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            new java.io.FileOutputStream('@MARKER@').close()
            state.done = true
        }
    }
}
