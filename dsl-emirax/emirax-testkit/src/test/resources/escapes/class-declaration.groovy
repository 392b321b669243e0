// expect: declaring classes
class Evil { static { new File('@MARKER@').text = 'x' } }

workflow('escape') {
    rule('x') {
        match { !state.done }
        action { state.done = true }
    }
}
