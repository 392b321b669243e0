// expect: may not call 'execute'
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def n = 'exe' + 'cute'
            def p = "touch @MARKER@".&"$n"
            p()
            state.done = true
        }
    }
}
