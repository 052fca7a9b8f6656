package dev.shepherd.onnx;

import dev.shepherd.core.ShepherdException;

/**
 * Thrown when no α/η_hint on the grid meets the calibration target (cost ceiling or accuracy floor).
 * The message gives the closest the grid came. Relax the target or label more data.
 */
public class CalibrationException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    /** A calibration failure described by {@code message}. */
    public CalibrationException(String message) {
        super(message);
    }
}
