package dev.shepherd.onnx.internal;

import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

/** ONNX operators Tribuo's {@link ONNXOperators} lacks (opset 13, default domain). */
public enum ExtraOperators implements ONNXOperator {
    /** Relu: max(x, 0). */
    RELU("Relu");

    private final String opName;

    ExtraOperators(String opName) {
        this.opName = opName;
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return 1;
    }

    @Override
    public int getNumOptionalInputs() {
        return 0;
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return Map.of();
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return Set.of();
    }

    @Override
    public int getOpVersion() {
        return ONNXOperators.getOpsetVersion();
    }

    @Override
    public String getOpDomain() {
        return ONNXOperators.IDENTITY.getOpDomain();
    }
}
