// expect: annotations are not available
@Grab('commons-io:commons-io:2.11.0')
import org.apache.commons.io.FileUtils

workflow('escape') {
    rule('x') {
        match { !state.done }
        action { state.done = true }
    }
}
