// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            new ProcessBuilder('touch', '@MARKER@').start()
            state.done = true
        }
    }
}
