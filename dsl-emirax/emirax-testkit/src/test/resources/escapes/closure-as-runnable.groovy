// expect: java.lang.Runnable is not available to rules
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            ({ -> state.x = 1 } as Runnable).run()
            state.done = true
        }
    }
}
