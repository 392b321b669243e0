// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            java.nio.file.Files.write(java.nio.file.Paths.get('@MARKER@'), [1] as byte[])
            state.done = true
        }
    }
}
