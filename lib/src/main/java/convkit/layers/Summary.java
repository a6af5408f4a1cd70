package convkit.layers;

import convkit.display.Tables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A Keras-style {@code model.summary()} for DL4J networks: each layer's output shape, parameter count and
 * cumulative receptive field, computed with {@link ConvMath} (DL4J's own figures are used only for layer
 * kinds the course never builds, and the tests check both agree).
 *
 * <pre>{@code
 * Summary.of(Models.seedCnn(28, 28, 1, 10), Shape.of(28, 28, 1)).show();
 * Summary.of(cnn, Shape.of(28, 28, 1)).totalParams();     // 887,530
 * }</pre>
 */
public final class Summary {

    /**
     * One line of the table. {@code output} is DL4J's description of the activations (convolutional h x w x c
     * or a flat vector); {@code receptiveField} is "HxW" input pixels, "all" once every input pixel is
     * seen (after flatten, dense or global pooling), "?" after a layer the arithmetic does not model.
     */
    public record Row(String name, String kind, String settings, InputType output, long params,
                      String receptiveField, String note) {

        /** The output shape as the seeds write it: {@code 28x28x32}, or {@code 256} for a flat vector. */
        public String shape() {
            return describe(output);
        }
    }

    private final String title;
    private final List<Row> rows;

    private Summary(String title, List<Row> rows) {
        this.title = title;
        this.rows = List.copyOf(rows);
    }

    /** The summary of a network built with {@code .list()}, for images of this shape. */
    public static Summary of(MultiLayerNetwork net, Shape input) {
        return of(net, InputType.convolutional(input.height(), input.width(), input.channels()));
    }

    /** The summary of a network built with {@code .list()}, for any DL4J input type (e.g. {@code InputType.feedForward(784)}). */
    public static Summary of(MultiLayerNetwork net, InputType input) {
        return of(net.getLayerWiseConfigurations(), input);
    }

    /** The summary of a configuration built with {@code .list()} (no network needed), for this input type. */
    public static Summary of(MultiLayerConfiguration conf, InputType input) {
        List<Row> rows = new ArrayList<>();
        State state = State.input(input);
        rows.add(state.row("input", "Input", ""));
        for (int i = 0; i < conf.getConfs().size(); i++) {
            InputPreProcessor pre = conf.getInputPreProcess(i);
            if (pre != null) {
                state = state.preprocess(pre);
                rows.add(state.row("", preprocessorKind(pre), "DL4J preprocessor"));
            }
            Layer layer = conf.getConf(i).getLayer();
            String name = layer.getLayerName() == null ? "layer" + i : layer.getLayerName();
            Step step = step(layer, state);
            state = step.state();
            rows.add(step.row(name));
        }
        return new Summary("Model summary (" + rows.size() + " rows)", rows);
    }

    /** The summary of a graph network, for images of these shapes (one per network input, in order). */
    public static Summary of(ComputationGraph graph, Shape... inputs) {
        InputType[] types = new InputType[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            types[i] = InputType.convolutional(inputs[i].height(), inputs[i].width(), inputs[i].channels());
        }
        return of(graph, types);
    }

    /** The summary of a graph network, for these DL4J input types (one per network input, in order). */
    public static Summary of(ComputationGraph graph, InputType... inputs) {
        return of(graph.getConfiguration(), inputs);
    }

    /** The summary of a graph configuration (no network needed), for these input types. */
    public static Summary of(ComputationGraphConfiguration conf, InputType... inputs) {
        List<String> names = conf.getNetworkInputs();
        if (names.size() != inputs.length) {
            throw new IllegalArgumentException("the graph has " + names.size() + " inputs " + names + " but "
                    + inputs.length + " input shapes were given");
        }
        Map<String, State> states = new HashMap<>();
        List<Row> rows = new ArrayList<>();
        for (String name : conf.getTopologicalOrderStr()) {
            int inputIndex = names.indexOf(name);
            if (inputIndex >= 0) {
                State state = State.input(inputs[inputIndex]);
                states.put(name, state);
                rows.add(state.row(name, "Input", ""));
                continue;
            }
            List<State> ins = conf.getVertexInputs().get(name).stream().map(states::get).toList();
            GraphVertex vertex = conf.getVertices().get(name);
            if (vertex instanceof LayerVertex layerVertex) {
                State state = ins.get(0);
                if (layerVertex.getPreProcessor() != null) {
                    state = state.preprocess(layerVertex.getPreProcessor());
                    rows.add(state.row("", preprocessorKind(layerVertex.getPreProcessor()), "DL4J preprocessor"));
                }
                Step step = step(layerVertex.getLayerConf().getLayer(), state);
                states.put(name, step.state());
                rows.add(step.row(name));
            } else {
                InputType out = vertex.getOutputType(-1, ins.stream().map(State::type).toArray(InputType[]::new));
                State merged = State.merge(out, ins);
                states.put(name, merged);
                rows.add(new Row(name, vertex.getClass().getSimpleName(), "joins " + conf.getVertexInputs().get(name),
                        out, vertex.numParams(true), merged.field(), ""));
            }
        }
        return new Summary("Graph summary (" + rows.size() + " rows)", rows);
    }

    /** The rows, input first. */
    public List<Row> rows() {
        return rows;
    }

    /** Parameters of the whole network (learned weights and biases plus batch-norm statistics, like Keras). */
    public long totalParams() {
        return rows.stream().mapToLong(Row::params).sum();
    }

    /** The last row's output shape, e.g. {@code 10}. */
    public String outputShape() {
        return rows.get(rows.size() - 1).shape();
    }

    /** Shows the table inline. */
    public void show() {
        boolean notes = rows.stream().anyMatch(r -> !r.note().isEmpty());
        List<String> header = new ArrayList<>(List.of("layer (type)", "settings", "output shape", "parameters", "receptive field"));
        if (notes) {
            header.add("note");
        }
        List<List<String>> cells = new ArrayList<>();
        for (Row r : rows) {
            List<String> cell = new ArrayList<>(List.of((r.name().isEmpty() ? "" : r.name() + " ") + "(" + r.kind() + ")",
                    r.settings(), r.shape(), thousands(r.params()), r.receptiveField()));
            if (notes) {
                cell.add(r.note());
            }
            cells.add(cell);
        }
        List<String> total = new ArrayList<>(List.of("Total", "", "", thousands(totalParams()), ""));
        if (notes) {
            total.add("");
        }
        cells.add(total);
        Tables.show(title, header, cells);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(title).append('\n');
        for (Row r : rows) {
            text.append(String.format(Locale.ROOT, "%-34s %-34s %-12s %12s  %-8s %s%n",
                    (r.name().isEmpty() ? "" : r.name() + " ") + "(" + r.kind() + ")", r.settings(), r.shape(),
                    thousands(r.params()), r.receptiveField(), r.note()));
        }
        return text.append("Total parameters: ").append(thousands(totalParams())).toString();
    }

    /** A number with thousands separators: 887530 -> "887,530". */
    public static String thousands(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 28x28x32} for image-like activations, the length for flat ones, DL4J's text otherwise. */
    static String describe(InputType type) {
        if (type instanceof InputType.InputTypeConvolutional c) {
            return c.getHeight() + "x" + c.getWidth() + "x" + c.getChannels();
        }
        if (type instanceof InputType.InputTypeFeedForward f) {
            return String.valueOf(f.getSize());
        }
        return type.toString();
    }

    private static String preprocessorKind(InputPreProcessor pre) {
        return pre instanceof CnnToFeedForwardPreProcessor ? "Flatten" : pre.getClass().getSimpleName();
    }

    /**
     * What flows between layers: the activations' type and the receptive field along each axis
     * ({@code null} fields mean "every input pixel", {@code unknown} after a layer not modelled here).
     */
    private record State(InputType type, ReceptiveField height, ReceptiveField width, boolean unknown) {

        static State input(InputType type) {
            boolean image = type instanceof InputType.InputTypeConvolutional;
            return new State(type, image ? ReceptiveField.PIXEL : null, image ? ReceptiveField.PIXEL : null, !image);
        }

        static State merge(InputType out, List<State> ins) {
            if (ins.stream().anyMatch(s -> s.unknown)) {
                return new State(out, null, null, true);
            }
            if (ins.stream().anyMatch(s -> s.height == null)) {
                return new State(out, null, null, false);
            }
            return new State(out, widest(ins.stream().map(State::height).toList()),
                    widest(ins.stream().map(State::width).toList()), false);
        }

        private static ReceptiveField widest(List<ReceptiveField> fields) {
            return new ReceptiveField(fields.stream().mapToInt(ReceptiveField::size).max().orElseThrow(),
                    fields.stream().mapToInt(ReceptiveField::jump).max().orElseThrow());
        }

        State preprocess(InputPreProcessor pre) {
            InputType out = pre.getOutputType(type);
            return out instanceof InputType.InputTypeConvolutional ? new State(out, height, width, unknown)
                    : new State(out, null, null, unknown);
        }

        State after(InputType out, int[] kernel, int[] stride, int[] dilation) {
            if (unknown || height == null) {
                return new State(out, height, width, unknown);
            }
            return new State(out, height.then(kernel[0], stride[0], dilation[0]),
                    width.then(kernel[1], stride[1], dilation[1]), false);
        }

        State same(InputType out) {
            return new State(out, height, width, unknown);
        }

        State whole(InputType out) {
            return new State(out, null, null, unknown);
        }

        String field() {
            if (unknown) {
                return "?";
            }
            if (height == null) {
                return "all";
            }
            return height.size() + "x" + width.size();
        }

        Row row(String name, String kind, String settings) {
            return new Row(name, kind, settings, type, 0, field(), "");
        }

        InputTypeConv conv() {
            if (!(type instanceof InputType.InputTypeConvolutional c)) {
                throw new IllegalStateException("expected image-shaped activations, got " + type);
            }
            return new InputTypeConv((int) c.getHeight(), (int) c.getWidth(), (int) c.getChannels());
        }
    }

    private record InputTypeConv(int h, int w, int c) {
    }

    /** A layer's result: the state after it and its row. */
    private record Step(State state, String kind, String settings, long params, String note) {
        Row row(String name) {
            return new Row(name, kind, settings, state.type(), params, state.field(), note);
        }
    }

    private static Step step(Layer layer, State in) {
        String kind = layer.getClass().getSimpleName();
        if (layer instanceof SeparableConvolution2D || layer instanceof DepthwiseConvolution2D
                || layer.getClass() == ConvolutionLayer.class
                || layer.getClass() == org.deeplearning4j.nn.conf.layers.Convolution2D.class) {
            return convolution((ConvolutionLayer) layer, in, kind);
        }
        if (layer.getClass() == SubsamplingLayer.class) {
            SubsamplingLayer pool = (SubsamplingLayer) layer;
            Window window = new Window(pool.getKernelSize(), pool.getStride(), pool.getPadding(), pool.getDilation(),
                    padding(pool.getConvolutionMode()));
            InputTypeConv c = in.conv();
            return new Step(window.after(in, c.c()), kind,
                    pool.getPoolingType().name().toLowerCase(Locale.ROOT) + " " + window, 0, window.dropNote(c));
        }
        if (layer.getClass() == DenseLayer.class || layer.getClass() == OutputLayer.class) {
            org.deeplearning4j.nn.conf.layers.FeedForwardLayer dense = (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer;
            long inputs = flatSize(in);
            boolean bias = layer instanceof DenseLayer d ? d.hasBias() : ((OutputLayer) layer).hasBias();
            long params = bias ? ConvMath.denseParams(inputs, dense.getNOut()) : inputs * dense.getNOut();
            return new Step(in.whole(InputType.feedForward(dense.getNOut())), kind,
                    dense.getNOut() + " units" + activation(layer), params, "");
        }
        if (layer instanceof BatchNormalization bn) {
            long channels = in.type() instanceof InputType.InputTypeConvolutional ? in.conv().c() : flatSize(in);
            // with gamma and beta locked only the two running statistics are stored
            long params = bn.isLockGammaBeta() ? 2 * channels : ConvMath.batchNormParams(channels);
            return new Step(in.same(in.type()), kind, channels + " channels", params, "");
        }
        if (layer instanceof DropoutLayer || layer instanceof ActivationLayer || layer instanceof LocalResponseNormalization) {
            String settings = layer.getIDropout() instanceof org.deeplearning4j.nn.conf.dropout.Dropout dropout
                    ? "keep " + dropout.getP() + " (DL4J's p is the probability to keep)"
                    : layer instanceof ActivationLayer a ? String.valueOf(a.getActivationFn()) : "";
            return new Step(in.same(in.type()), kind, settings, 0, "");
        }
        if (layer instanceof GlobalPoolingLayer global && global.isCollapseDimensions()
                && in.type() instanceof InputType.InputTypeConvolutional) {
            return new Step(in.whole(InputType.feedForward(in.conv().c())), kind,
                    "global " + global.getPoolingType().name().toLowerCase(Locale.ROOT), 0, "");
        }
        if (layer instanceof ZeroPaddingLayer zero) {
            InputTypeConv c = in.conv();
            int[] p = zero.getPadding();
            return new Step(in.same(InputType.convolutional(c.h() + p[0] + p[1], c.w() + p[2] + p[3], c.c())), kind,
                    "pad " + p[0] + "," + p[1] + "," + p[2] + "," + p[3], 0, "");
        }
        InputType out = layer.getOutputType(-1, in.type());
        return new Step(new State(out, null, null, true), kind, "(shape and parameters as DL4J reports them)",
                layer.initializer().numParams(layer), "");
    }

    private static Step convolution(ConvolutionLayer conv, State in, String kind) {
        InputTypeConv c = in.conv();
        Window window = new Window(conv.getKernelSize(), conv.getStride(), conv.getPadding(), conv.getDilation(),
                padding(conv.getConvolutionMode()));
        int[] k = window.kernel();
        boolean bias = conv.hasBias();
        int outChannels;
        long params;
        String settings;
        if (conv instanceof DepthwiseConvolution2D depthwise) {
            int m = depthwise.getDepthMultiplier();
            outChannels = c.c() * m;
            params = bias ? ConvMath.depthwiseParams(k[0], k[1], c.c(), m) : ConvMath.convParams(k[0], k[1], 1, outChannels, false);
            settings = "depthwise x" + m + " ";
        } else if (conv instanceof SeparableConvolution2D separable) {
            int m = separable.getDepthMultiplier();
            outChannels = (int) conv.getNOut();
            params = ConvMath.separableParams(k[0], k[1], c.c(), m, outChannels) - (bias ? 0 : outChannels);
            settings = "separable x" + m + ", " + outChannels + " filters ";
        } else {
            outChannels = (int) conv.getNOut();
            params = ConvMath.convParams(k[0], k[1], c.c(), outChannels, bias);
            settings = outChannels + (outChannels == 1 ? " filter " : " filters ");
        }
        return new Step(window.after(in, outChannels), kind, settings + window + activation(conv), params, window.dropNote(c));
    }

    private static Padding padding(org.deeplearning4j.nn.conf.ConvolutionMode mode) {
        return switch (mode) {
            case Same -> Padding.SAME;
            case Strict -> Padding.STRICT;
            case Truncate -> Padding.VALID;
            default -> throw new IllegalArgumentException("convolution mode " + mode + " is not a 2D image mode;"
                    + " use Same, Truncate or Strict");
        };
    }

    /** The sliding window of a convolution or pooling layer: kernel, stride, padding, dilation (height, width) and mode. */
    private record Window(int[] kernel, int[] stride, int[] pad, int[] dilation, Padding mode) {

        /** The state after sliding this window over {@code in}, with {@code channels} output channels. */
        State after(State in, int channels) {
            InputTypeConv c = in.conv();
            int h = ConvMath.size("height: ", c.h(), kernel[0], stride[0], pad[0], dilation[0], mode);
            int w = ConvMath.size("width: ", c.w(), kernel[1], stride[1], pad[1], dilation[1], mode);
            return in.after(InputType.convolutional(h, w, channels), kernel, stride, dilation);
        }

        /** In DL4J's Truncate mode a window that does not fit is silently skipped: say so in the table. */
        String dropNote(InputTypeConv c) {
            if (mode != Padding.VALID) {
                return "";
            }
            int dh = (c.h() + 2 * pad[0] - ConvMath.effectiveKernel(kernel[0], dilation[0])) % stride[0];
            int dw = (c.w() + 2 * pad[1] - ConvMath.effectiveKernel(kernel[1], dilation[1])) % stride[1];
            return dh == 0 && dw == 0 ? "" : "drops the last " + dh + " row(s), " + dw + " column(s)";
        }

        @Override
        public String toString() {
            String text = kernel[0] + "x" + kernel[1] + ", stride " + pair(stride);
            if (mode == Padding.SAME) {
                text += ", same";
            } else if (pad[0] != 0 || pad[1] != 0) {
                text += ", pad " + pair(pad);
            }
            if (dilation[0] != 1 || dilation[1] != 1) {
                text += ", dilation " + pair(dilation);
            }
            return text;
        }

        private static String pair(int[] values) {
            return values[0] == values[1] ? String.valueOf(values[0]) : values[0] + "x" + values[1];
        }
    }

    private static String activation(Layer layer) {
        return layer instanceof BaseLayer base && base.getActivationFn() != null
                ? ", " + base.getActivationFn().toString().toLowerCase(Locale.ROOT) : "";
    }

    private static long flatSize(State in) {
        if (in.type() instanceof InputType.InputTypeFeedForward f) {
            return f.getSize();
        }
        return in.type().arrayElementsPerExample();
    }
}
